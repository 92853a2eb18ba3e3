"""The administrative hierarchy as the API shows it: types (types.py), the prefetched subtree (tree.py), root fields (fields.py).

`tree` is imported before `types`: types reads it at call time (County.townships), tree names the types.
"""

from __future__ import annotations

from schema.units import tree  # noqa: I001 (before types: see above)
from schema.units.fields import UnitsQuery
from schema.units.types import County, Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village

__all__ = ["County", "Grid", "HouseholdGroup", "JointMeeting", "PartyGroup", "Township", "UnitsQuery", "Village", "tree"]
