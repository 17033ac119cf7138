"""Synthetic cities: every table of the data format, calibrated on the seeds' figures.

:func:`synthetic_city` builds a whole city (or district) — areas down to
compounds and buildings, Party organisations of every form and scope, units of
every type and emerging sector, service stations, ties of every kind, the
three lists of demands, resources and projects, and the activity layer's
people, whistle-and-report cases and star ratings (``activity=False``: without
it, the other tables unchanged) — as a validated
:class:`~orgnet.OrgNetwork`. Three presets are calibrated on the reference
figures of the glossary (``lanzhou``, ``district``) or sized for scale tests
(``large``); :func:`calibration` compares a generated network with its
preset's targets.

The package:

- :mod:`.parameters` — every knob (:data:`PARAMETERS`) with its constraint;
  the vocabularies come from :mod:`orgnet.schema`;
- :mod:`.presets` — :data:`PRESETS`, :data:`PRESET_NOTES` and :data:`AS_OF`;
- the stages, in order, each on its own random stream: :mod:`.areas`,
  :mod:`.units`, :mod:`.coverage_classes`, :mod:`.organisations`,
  :mod:`.stations`, :mod:`.ties`, :mod:`.lists`, then :mod:`.activity` on
  streams spawned after the others' and :mod:`.red_property` (only with
  ``red_property=True``) on one spawned after those (over the vectorised helpers of
  :mod:`.draws` and the word pools of :mod:`.words`), run by :mod:`.generator`;
- :mod:`.calibration` — the figures recomputed with the library's analyses.

Everything is vectorised (numpy/pandas): the ``large`` preset (3,000
communities, 300,000 units, ~10^6 ties) generates in about 15 seconds,
most of it the validation of its tables.

Examples
--------
>>> import orgnet
>>> net = orgnet.datasets.synthetic_city("district", seed=0)
>>> int((net.areas["level"] == "community").sum())
70
>>> cal = orgnet.datasets.calibration(net)
>>> bool(cal["ok"].all())
True
"""

from __future__ import annotations

from .calibration import calibration
from .generator import synthetic_city
from .parameters import PARAMETERS, SECTORS, UNIT_TYPES
from .presets import AS_OF, PRESET_NOTES, PRESETS

__all__ = ["synthetic_city", "calibration", "PRESETS", "PARAMETERS", "AS_OF", "PRESET_NOTES",
           "UNIT_TYPES", "SECTORS"]
