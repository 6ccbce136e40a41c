"""kopdesk: the back-office desktop application of a Dinas Koperasi."""

__version__ = "0.1.0"
APP_ID = "kopdesk"
APP_NAME = "KopDesk"
ORG_NAME = "KopDesk"
