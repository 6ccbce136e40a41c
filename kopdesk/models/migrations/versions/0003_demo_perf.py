"""Recaps at national scale: one covering index for the recap and stats queries.

ix_cooperative_recap holds every column the recaps read (province, kab/kota, status, NIK status, kecamatan, jenis,
pola), so a province recap or the national table reads the index instead of the wide cooperative rows. It starts
with the columns of ix_cooperative_province_kabkota, which it replaces.

Revision ID: 0003_demo_perf
Revises: 0002
"""
from alembic import op

revision = "0003_demo_perf"
down_revision = "0002"
branch_labels = None
depends_on = None

RECAP_COLUMNS = ["province_code", "kabkota_code", "status", "nik_status", "kecamatan_code", "jenis", "pola"]


def upgrade() -> None:
    op.create_index("ix_cooperative_recap", "cooperative", RECAP_COLUMNS)
    op.drop_index("ix_cooperative_province_kabkota", table_name="cooperative")


def downgrade() -> None:
    op.create_index("ix_cooperative_province_kabkota", "cooperative", ["province_code", "kabkota_code", "status"])
    op.drop_index("ix_cooperative_recap", table_name="cooperative")
