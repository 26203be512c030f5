"""merge snapshots

A merge keeps what it took away (the second segment's row and the rows that hung on it) so
that undoing the merge gives the segment back with its own id, flags and history.

Revision ID: 0010_merge_snapshots
Revises: 0009_data_version
Create Date: 2026-12-08 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0010_merge_snapshots'
down_revision = '0009_data_version'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('merge_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.Column('removed_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_merge_snapshots_segment_id'), 'merge_snapshots', ['segment_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_merge_snapshots_segment_id'), table_name='merge_snapshots')
    op.drop_table('merge_snapshots')
