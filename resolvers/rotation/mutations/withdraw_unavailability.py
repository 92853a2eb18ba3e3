"""`withdrawUnavailability`: a mark made in error or no longer true is removed; the planner may plan the member again."""

from __future__ import annotations

from core import unavailability
from core.writes import Problems
from resolvers.context import Context
from resolvers.rotation.mutations.mark_unavailable import Marked


async def withdraw_unavailability(context: Context, *, unavailability_id: str) -> Marked:
    """The withdrawn mark as it was. An id that is not an Unavailability id, or names none in the token's
    jurisdiction (the root rule blanks those), answers NOT_FOUND alike."""
    problems = Problems()
    ids = problems.ids([unavailability_id], "Unavailability", ["id"]) if unavailability_id else []
    problems.items.clear()  # a malformed id is absent, as an out-of-reach one
    row = await unavailability.withdraw_unavailability(actor=context.audit_actor, unavailability_id=ids[0] if ids else None,
                                                        problems=problems)
    return Marked(row, row.person)
