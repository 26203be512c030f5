"""account name key, article content digest, segment score statistics, score cache

Account names become unique ignoring case and look-alike letters; articles keep a digest
of their content (to notice a file imported twice); segment scores keep the metric's
sufficient statistics (corpus scores without recomputing every segment), and a score cache
row per article and comparison answers an unchanged rescore.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:00:00

Existing accounts get their key from ``review.accounts.names``. Where two existing names
already share a key, the later account keeps working with its id appended to its key (so
the index can be built); new twins are refused from now on.
"""

from alembic import op
import sqlalchemy as sa

from review.accounts.names import name_key

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('name_key', sa.String(length=400), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('name_key', sa.String))
    bind = op.get_bind()
    seen: set[str] = set()
    for user_id, name in bind.execute(sa.select(users.c.id, users.c.name)
                                      .order_by(users.c.id)).all():
        key = name_key(name)
        if key in seen:
            key = f"{key}#{user_id}"
        seen.add(key)
        bind.execute(users.update().where(users.c.id == user_id).values(name_key=key))
    op.create_index('uq_users_name_key', 'users', ['name_key'], unique=True)
    op.add_column('articles', sa.Column('content_digest', sa.String(length=64),
                                        nullable=False, server_default=''))
    op.create_index('ix_articles_content_digest', 'articles', ['content_digest'])
    op.add_column('segment_scores', sa.Column('stats', sa.JSON(), nullable=True))
    op.create_table('score_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('comparison', sa.String(length=300), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('article_id', 'comparison', name='uq_score_cache')
    )


def downgrade() -> None:
    op.drop_table('score_cache')
    op.drop_column('segment_scores', 'stats')
    op.drop_index('ix_articles_content_digest', table_name='articles')
    op.drop_column('articles', 'content_digest')
    op.drop_index('uq_users_name_key', table_name='users')
    op.drop_column('users', 'name_key')
