"""Qt's own words in Bahasa Indonesia: the standard buttons (OK/Cancel, Yes/No) and the edit menu of text fields.

Qt ships no Indonesian translation of qtbase, so without this the message boxes of an Indonesian application say
"Yes", "No" and "Cancel". The few texts Qt itself draws are translated here, by context-free source text.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

WORDS: dict[str, str] = {
    # QPlatformTheme: the standard buttons of QMessageBox and QDialogButtonBox
    "OK": "OK", "&OK": "&OK", "Save": "Simpan", "&Save": "&Simpan", "Save All": "Simpan Semua",
    "Open": "Buka", "&Open": "&Buka", "Yes": "Ya", "&Yes": "&Ya", "Yes to All": "Ya untuk Semua",
    "Yes to &All": "Ya untuk &Semua", "No": "Tidak", "&No": "&Tidak", "No to All": "Tidak untuk Semua",
    "N&o to All": "T&idak untuk Semua", "Abort": "Batalkan", "Retry": "Coba Lagi", "Ignore": "Abaikan",
    "Close": "Tutup", "&Close": "&Tutup", "Cancel": "Batal", "Discard": "Buang", "Don't Save": "Jangan Simpan",
    "Help": "Bantuan", "Apply": "Terapkan", "Reset": "Atur Ulang", "Restore Defaults": "Kembalikan Bawaan",
    "Show Details...": "Tampilkan Rincian…", "Hide Details...": "Sembunyikan Rincian…",
    # QLineEdit / QWidgetTextControl: the context menu of text fields
    "&Undo": "&Urungkan", "&Redo": "&Ulangi", "Cu&t": "Po&tong", "&Copy": "&Salin", "&Paste": "T&empel",
    "Delete": "Hapus", "Select All": "Pilih Semua", "Copy &Link Location": "Salin &Alamat Tautan",
}


class IndonesianQtTranslator(QTranslator):
    """Answers Qt's translation requests for the words above, whatever the context."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str:  # type: ignore[override]
        return WORDS.get(source_text, "")

    def isEmpty(self) -> bool:  # type: ignore[override]
        return False


_installed: IndonesianQtTranslator | None = None


def install_qt_translations(app: QCoreApplication) -> None:
    """Install the translator once per application (kept referenced so Qt does not lose it)."""
    global _installed
    if _installed is None:
        _installed = IndonesianQtTranslator(app)
        app.installTranslator(_installed)
