"""Signals other layers listen to; projects/ imports none of them."""

from django.dispatch import Signal

# A log, its updates or comments changed (search reindexes it).
trial_action_changed = Signal()
# A completed log was proposed as an experience article: kwargs instance, proposed_by, data.
experience_proposed = Signal()
