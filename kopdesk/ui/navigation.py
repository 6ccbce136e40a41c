"""The pages of the main window, in navigation order.

Each entry names a QWidget subclass constructed as ``Page(ctx: AppContext, parent=None)`` with class attributes
``title`` (Indonesian, for the navigation), ``icon_name`` and optional ``permission`` (the page is disabled when
the signed-in user lacks it). Pages refresh themselves on ``ctx.signals.data_changed``.
"""

from __future__ import annotations

import importlib

# (module, class) of each page, in the order of the navigation. Add one line per page.
PAGES: list[tuple[str, str]] = [
    ("kopdesk.ui.reports.home_page", "HomePage"),
    ("kopdesk.ui.registry.registry_page", "RegistryPage"),
    ("kopdesk.ui.supervision.pemutakhiran_page", "PemutakhiranPage"),
    ("kopdesk.ui.supervision.rat_page", "RatPage"),
    ("kopdesk.ui.supervision.kesehatan_page", "KesehatanPage"),
    ("kopdesk.ui.letters.teguran_page", "TeguranPage"),
    ("kopdesk.ui.letters.register_page", "LetterRegisterPage"),
    ("kopdesk.ui.certificates.certificates_page", "CertificatesPage"),
    ("kopdesk.ui.certificates.verification_page", "VerificationPage"),
    ("kopdesk.ui.reports.reports_page", "ReportsPage"),
    ("kopdesk.ui.exchange.exchange_page", "ExchangePage"),
    ("kopdesk.ui.administration.settings_page", "SettingsPage"),
]


def page_classes() -> list[type]:
    """The page classes, imported on demand."""
    return [getattr(importlib.import_module(module), name) for module, name in PAGES]
