"""The pages of the main window, in navigation order.

Each entry names a QWidget subclass constructed as ``Page(ctx: AppContext, parent=None)`` with class attributes
``title`` (Indonesian, for the navigation), ``icon_name`` and optional ``permission`` (the page is disabled when
the signed-in user lacks it). Pages refresh themselves on ``ctx.signals.data_changed``.
"""

from __future__ import annotations

import importlib

# (module, class) of each page, in the order of the navigation. Add one line per page.
PAGES: list[tuple[str, str]] = [
    ("kopdesk.ui.pages.home", "HomePage"),
    ("kopdesk.ui.pages.registry", "RegistryPage"),
    ("kopdesk.ui.pages.pemutakhiran", "PemutakhiranPage"),
    ("kopdesk.ui.pages.rat", "RatPage"),
    ("kopdesk.ui.pages.kesehatan", "KesehatanPage"),
    ("kopdesk.ui.pages.teguran_page", "TeguranPage"),
    ("kopdesk.ui.pages.letter_register_page", "LetterRegisterPage"),
    ("kopdesk.ui.pages.certificates", "CertificatesPage"),
    ("kopdesk.ui.pages.verification", "VerificationPage"),
    ("kopdesk.ui.pages.reports_page", "ReportsPage"),
    ("kopdesk.ui.pages.exchange_page", "ExchangePage"),
    ("kopdesk.ui.pages.settings_page", "SettingsPage"),
]


def page_classes() -> list[type]:
    """The page classes, imported on demand."""
    return [getattr(importlib.import_module(module), name) for module, name in PAGES]
