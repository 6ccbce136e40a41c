"""Aliases of a kelompok koperasi: the short names and abbreviations offices write (issue 13).

The import finds "KUD", "Kopwan" or "Koperasi Wanita" as the kelompok "Koperasi Wanita (Kopwan)" through this
table; administrators edit it. A database whose kelompok list still holds the names kopdesk seeds gets the usual
aliases of those names (brief §3); a renamed or removed entry gets none.

Revision ID: 0004_kelompok_alias
Revises: 0003_demo_perf
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_kelompok_alias"
down_revision = "0003_demo_perf"
branch_labels = None
depends_on = None

# A frozen copy of kopdesk.models.services.administration.bootstrap.KELOMPOK_ALIASES as of this revision.
ALIASES = {
    "Koperasi Unit Desa (KUD)": ["KUD", "Koperasi Unit Desa"],
    "Koperasi Pegawai Republik Indonesia (KPRI)": ["KPRI", "Koperasi Pegawai Republik Indonesia",
                                                   "Koperasi Pegawai Negeri", "KPN"],
    "Koperasi Karyawan (Kopkar)": ["Kopkar", "Koperasi Karyawan"],
    "Koperasi Pensiunan/Purnawirawan": ["Koperasi Pensiunan", "Koperasi Purnawirawan"],
    "Koperasi Wanita (Kopwan)": ["Kopwan", "Koperasi Wanita"],
    "Koperasi Pondok Pesantren (Kopontren)": ["Kopontren", "Koperasi Pondok Pesantren", "Koperasi Pesantren"],
    "Koperasi Sekolah/Siswa": ["Koperasi Sekolah", "Koperasi Siswa", "Kopsis"],
    "Koperasi Mahasiswa": ["Kopma"],
    "Koperasi Pedagang Pasar (Koppas)": ["Koppas", "Koperasi Pedagang Pasar", "Koperasi Pasar"],
    "Koperasi Serba Usaha (KSU)": ["KSU", "Koperasi Serba Usaha", "Serba Usaha"],
    "Koperasi Simpan Pinjam (KSP)": ["KSP", "Koperasi Simpan Pinjam"],
    "KSPPS/BMT": ["KSPPS", "BMT", "Koperasi Simpan Pinjam dan Pembiayaan Syariah", "USPPS"],
    "Koperasi Desa/Kelurahan Merah Putih": ["Koperasi Desa Merah Putih", "Koperasi Kelurahan Merah Putih",
                                            "Kopdes Merah Putih", "KDKMP"],
}


def upgrade() -> None:
    op.create_table(
        "kelompok_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kelompok_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["kelompok_id"], ["kelompok.id"], name=op.f("fk_kelompok_alias_kelompok_id_kelompok"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kelompok_alias")),
        sa.UniqueConstraint("alias", name=op.f("uq_kelompok_alias_alias")),
    )
    with op.batch_alter_table("kelompok_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kelompok_alias_kelompok_id"), ["kelompok_id"], unique=False)
    kelompok = sa.table("kelompok", sa.column("id", sa.Integer), sa.column("name", sa.String))
    alias = sa.table("kelompok_alias", sa.column("kelompok_id", sa.Integer), sa.column("alias", sa.String))
    conn = op.get_bind()
    ids = dict(conn.execute(sa.select(kelompok.c.name, kelompok.c.id)).all())
    rows = [{"kelompok_id": ids[name], "alias": a} for name, aliases in ALIASES.items() if name in ids for a in aliases]
    if rows:
        op.bulk_insert(alias, rows)


def downgrade() -> None:
    with op.batch_alter_table("kelompok_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kelompok_alias_kelompok_id"))
    op.drop_table("kelompok_alias")
