"""Who else hears a connect run: the live share page (--share) and webhooks (--notify), as Reporter listeners."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from runbook.browser.settings import Settings
from runbook.connect.options import ConnectOptions
from runbook.core.events import Reporter

# After the run: how long the share page keeps answering so that owners watching it see the final status.
SHARE_LINGER_SECONDS = 30.0
NOTIFY_CLOSE_SECONDS = 10.0


@contextmanager
def listening(options: ConnectOptions, reporter: Reporter, settings: Settings) -> Iterator[None]:
    """Starts what the options ask for before the run and closes it after: webhooks get their last POSTs (the
    summary) out, and the share page lingers until its viewers have seen the end."""
    with ExitStack() as stack:
        if options.notify:
            from runbook.share.webhooks import Notifier

            notifier = Notifier(list(options.notify), lambda problem: reporter.say(f"--notify: {problem}"))
            stack.callback(notifier.close, timeout=NOTIFY_CLOSE_SECONDS)
            stack.enter_context(reporter.heard_by(notifier))
        if options.share:
            from runbook.share.links import ALL_ACCOUNTS, SavedLinks
            from runbook.share.page import SharePage

            # The links of the last run for this Business Center, kept: a rerun serves those already sent.
            saved = SavedLinks.load(settings.base_url, settings.bc)
            page = SharePage(
                options.share_host,
                saved.port_for(options.share_port),
                per_account=options.share_url_per_account,
                public_url=options.share_url,
                accounts=tuple(str(handle) for handle in options.accounts),
                tokens=lambda account: saved.token(account or ALL_ACCOUNTS),
                notes={str(handle): note for handle, note in options.notes.items()},
            )
            links = page.start()
            saved.save(page.port)
            stack.callback(page.close, linger=SHARE_LINGER_SECONDS)
            stack.enter_context(reporter.heard_by(page))
            for account, url in links:
                reporter.say(f"Share page{f' for {account}' if account else ''}: {url}")
                reporter.emit("share", url=url, **({"account": account} if account else {}))
        yield
