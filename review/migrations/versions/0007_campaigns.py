"""campaigns: assignments made together from one campaign file, found by name; the queue
resumes where the reviewer stopped; loud attention checks count the reviewer's tries

Revision ID: 0007_campaigns
Revises: 0006_session_generations
Create Date: 2026-12-07 21:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0007_campaigns'
down_revision = '0006_session_generations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'campaigns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('mode', sa.String(length=20), nullable=False),
        sa.Column('check_rate', sa.Float(), nullable=False),
        sa.Column('check_mode', sa.String(length=10), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('second_reviewer', sa.String(length=120), nullable=False),
        sa.Column('article_ids', sa.JSON(), nullable=False),
        sa.Column('reviewers', sa.JSON(), nullable=False),
        sa.Column('assignment_ids', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.add_column('assignments', sa.Column('queue_done', sa.JSON(), nullable=True))
    op.add_column('attention_checks', sa.Column('tries', sa.Integer(), nullable=False,
                                                server_default='0'))


def downgrade() -> None:
    op.drop_column('attention_checks', 'tries')
    op.drop_column('assignments', 'queue_done')
    op.drop_table('campaigns')
