"""`mamori serve`: the member portal, officer console and partner API."""

from __future__ import annotations

from typing import Annotated

import typer

from mamori.cli.console import err
from mamori.i18n import t
from mamori.settings import Settings


def serve(
    host: Annotated[str, typer.Option(help="待ち受けるアドレス / address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="ポート / port")] = 8000,
) -> None:
    """Serve the member portal (/), the officer console (/console) and the partner API (/api/v1).

    会員ページ・管理コンソール・提携先 API を起動します。$MAMORI_HOME が空でも起動します。
    Starts on an empty $MAMORI_HOME too (the ledger is created on first use).
    """
    run_server(Settings.from_env(), host, port)


def run_server(settings: Settings, host: str, port: int) -> None:
    """Create the app and serve it with uvicorn until interrupted."""
    import uvicorn

    from mamori.web.app import create_app

    app = create_app(settings)
    err.print(
        t(
            f"ポータル：http://{host}:{port}/（Ctrl+C で終了）",
            f"portal: http://{host}:{port}/ (Ctrl+C to stop)",
        )
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("serve")(serve)
