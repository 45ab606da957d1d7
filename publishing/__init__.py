"""The one path of every change to the public data: ``receivers`` (the only signal
receivers) → ``changes.Change`` → the subscribers, in a fixed order (``changes``).

Apps above ``publishing`` (``api``, ``staticsite``) hear of changes through ``subscribe``,
called from their ``AppConfig.ready``; apps below it are called by ``publishing.changes``.
"""

#: ``subscribe()``'s callbacks: after the commit (``False``), in the transaction (``True``).
SUBSCRIBERS: dict[bool, list] = {False: [], True: []}


def subscribe(callback, *, in_transaction: bool = False) -> None:
    """Call ``callback(change)`` (a ``publishing.changes.Change``) for every change: after the
    commit with the transaction's changes merged, or (``in_transaction``) as each change
    happens, for database writes that must commit or roll back with it."""
    if callback not in SUBSCRIBERS[in_transaction]:
        SUBSCRIBERS[in_transaction].append(callback)
