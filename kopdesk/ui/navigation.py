"""The pages of the main window, in navigation order, with what the navigation shows of each.

Each entry names a page class (a kopdesk.ui.widgets.page.Page, constructed as ``Page(ctx: AppContext, parent=None)``)
by module and name, so that the window lists every page without importing any: a page's module, and the services and
libraries it needs, load when the clerk first opens it. ``permission``: the page is listed but disabled when the
signed-in user lacks it. Pages refresh themselves on ``ctx.signals.data_changed``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    """One page in the navigation.

    Attributes:
        module, name: where the page class is.
        title: the navigation's text (Indonesian).
        icon_name: resources/icons/<icon_name>.svg|png, else a close Qt standard icon.
        permission: needed to open the page (None: everyone).
    """

    module: str
    name: str
    title: str
    icon_name: str
    permission: str | None = None


# Add one line per page.
PAGES: list[PageEntry] = [
    PageEntry("kopdesk.ui.reports.home_page", "HomePage", "Beranda", "home"),
    PageEntry("kopdesk.ui.registry.registry_page", "RegistryPage", "Registri Koperasi", "registry"),
    PageEntry("kopdesk.ui.supervision.pemutakhiran_page", "PemutakhiranPage", "Pemutakhiran", "pemutakhiran"),
    PageEntry("kopdesk.ui.supervision.rat_page", "RatPage", "RAT", "rat"),
    PageEntry("kopdesk.ui.supervision.kesehatan_page", "KesehatanPage", "Kesehatan", "kesehatan"),
    PageEntry("kopdesk.ui.letters.teguran_page", "TeguranPage", "Teguran", "mail-mark-important"),
    PageEntry("kopdesk.ui.letters.register_page", "LetterRegisterPage", "Buku Agenda Surat", "x-office-address-book"),
    PageEntry("kopdesk.ui.certificates.certificates_page", "CertificatesPage", "Sertifikat", "certificate"),
    PageEntry("kopdesk.ui.certificates.verification_page", "VerificationPage", "Verifikasi Sertifikat", "verify"),
    PageEntry("kopdesk.ui.reports.reports_page", "ReportsPage", "Laporan", "x-office-spreadsheet", "reports"),
    PageEntry("kopdesk.ui.exchange.exchange_page", "ExchangePage", "Impor dan Ekspor", "document-import", "import"),
    PageEntry("kopdesk.ui.administration.settings_page", "SettingsPage", "Pengaturan", "settings", "settings.manage"),
]


def page_class(entry: PageEntry) -> type:
    """The class of a page, importing its module (the first time the page is opened)."""
    return getattr(importlib.import_module(entry.module), entry.name)


def page_classes() -> list[type]:
    """Every page class (imports every page: for tests and tools, not for the window)."""
    return [page_class(entry) for entry in PAGES]
