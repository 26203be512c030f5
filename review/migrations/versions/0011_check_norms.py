"""the QA checks' article norms, kept between app processes

The first save of an article after a restart reads these norms instead of rebuilding them
from the whole article.

Revision ID: 0011_check_norms
Revises: 0010_merge_snapshots
Create Date: 2026-12-08 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0011_check_norms'
down_revision = '0010_merge_snapshots'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('check_norms',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=200), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id')
    )


def downgrade() -> None:
    op.drop_table('check_norms')
