"""the library's data version counter

Views read one row to know whether anything changed, instead of aggregating whole tables;
every write transaction that changes data bumps it (``review.db.data_version``).

Revision ID: 0009_data_version
Revises: 0008_original_files
Create Date: 2026-12-08 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0009_data_version'
down_revision = '0008_original_files'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('data_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('counter', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.bulk_insert(table, [{'name': 'library', 'counter': 0}])


def downgrade() -> None:
    op.drop_table('data_versions')
