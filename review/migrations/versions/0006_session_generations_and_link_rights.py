"""sessions bound to the account's state; one-time links carry the rights they were made with

Every account gets a session generation (logout, password change or reset, role change and
(de)activation move it on, ending the sessions issued before) and a rights generation (role
change and (de)activation). One-time links keep who made them, with which role and rights
generation, and for a reset the target account's; they can be revoked. The session secret
no longer lives in the settings table: the row is deleted (every old session ends once).
Account name keys are recomputed (the key now drops default-ignorable characters).

Revision ID: 0006_session_generations
Revises: 0005
Create Date: 2026-12-08 10:00:00

Links still open keep working where their maker's account can be found by name: they get
the maker's current role and generation (and the target's, for a reset), so from now on a
change on either side ends them. Links whose maker has no account (the command line) stay
as they are.
"""

from alembic import op
import sqlalchemy as sa

from review.accounts.names import name_key

revision = '0006_session_generations'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('session_generation', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.add_column('users', sa.Column('rights_generation', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.add_column('one_time_tokens', sa.Column('name_key', sa.String(length=400),
                                               nullable=False, server_default=''))
    op.add_column('one_time_tokens', sa.Column('maker_id', sa.Integer(), nullable=True))
    op.add_column('one_time_tokens', sa.Column('maker_role', sa.String(length=20),
                                               nullable=False, server_default=''))
    op.add_column('one_time_tokens', sa.Column('maker_generation', sa.Integer(),
                                               nullable=True))
    op.add_column('one_time_tokens', sa.Column('target_id', sa.Integer(), nullable=True))
    op.add_column('one_time_tokens', sa.Column('target_generation', sa.Integer(),
                                               nullable=True))
    op.add_column('one_time_tokens', sa.Column('revoked_at', sa.DateTime(timezone=True),
                                               nullable=True))
    op.add_column('one_time_tokens', sa.Column('revoked_by', sa.String(length=120),
                                               nullable=False, server_default=''))

    bind = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('role', sa.String), sa.column('name_key', sa.String))
    _rekey(bind, users)
    links = sa.table('one_time_tokens', sa.column('id', sa.Integer),
                     sa.column('kind', sa.String), sa.column('user_name', sa.String),
                     sa.column('created_by', sa.String), sa.column('name_key', sa.String),
                     sa.column('maker_id', sa.Integer), sa.column('maker_role', sa.String),
                     sa.column('maker_generation', sa.Integer),
                     sa.column('target_id', sa.Integer),
                     sa.column('target_generation', sa.Integer))
    accounts = {name: (user_id, role) for user_id, name, role in bind.execute(
        sa.select(users.c.id, users.c.name, users.c.role)).all()}
    for link_id, kind, user_name, created_by in bind.execute(sa.select(
            links.c.id, links.c.kind, links.c.user_name, links.c.created_by)).all():
        values: dict = {'name_key': name_key(user_name)}
        if created_by in accounts:
            maker_id, maker_role = accounts[created_by]
            values.update(maker_id=maker_id, maker_role=maker_role, maker_generation=0)
        if kind == 'reset' and user_name in accounts:
            values.update(target_id=accounts[user_name][0], target_generation=0)
        bind.execute(links.update().where(links.c.id == link_id).values(**values))
    op.create_index('ix_one_time_tokens_name_key', 'one_time_tokens', ['name_key'])

    settings = sa.table('settings', sa.column('key', sa.String))
    bind.execute(settings.delete().where(settings.c.key == 'session_secret'))


def _rekey(bind, users) -> None:  # noqa: ANN001
    """The key now drops default-ignorable characters: recompute it (a twin that appears
    keeps working with its id appended, as in 0005)."""
    rows = bind.execute(sa.select(users.c.id, users.c.name, users.c.name_key)
                        .order_by(users.c.id)).all()
    wanted: dict[int, str] = {}
    seen: set[str] = set()
    for user_id, name, _ in rows:
        key = name_key(name)
        if key in seen:
            key = f"{key}#{user_id}"
        seen.add(key)
        wanted[user_id] = key
    changed = [(user_id, wanted[user_id]) for user_id, _, old in rows if old != wanted[user_id]]
    for user_id, _ in changed:  # free every key first, so a swap never meets the index
        bind.execute(users.update().where(users.c.id == user_id)
                     .values(name_key=f"#rekey#{user_id}"))
    for user_id, key in changed:
        bind.execute(users.update().where(users.c.id == user_id).values(name_key=key))


def downgrade() -> None:
    op.drop_index('ix_one_time_tokens_name_key', table_name='one_time_tokens')
    for column in ('revoked_by', 'revoked_at', 'target_generation', 'target_id',
                   'maker_generation', 'maker_role', 'maker_id', 'name_key'):
        op.drop_column('one_time_tokens', column)
    op.drop_column('users', 'rights_generation')
    op.drop_column('users', 'session_generation')
