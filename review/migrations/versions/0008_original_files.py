"""original files of XLIFF and TMX imports

An import of XLIFF or TMX keeps the file it read (compressed, up to
``review.formats.originals.MAX_ORIGINAL_BYTES``), one row per import batch, so that an export
writes the review back into the original document.

Revision ID: 0008_original_files
Revises: 0007_campaigns
Create Date: 2026-12-08 12:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0008_original_files'
down_revision = '0007_campaigns'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('original_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('batch')
    )


def downgrade() -> None:
    op.drop_table('original_files')
