"""Danish formats: Django's, and more ways to type a date and a time.

Django's Danish input formats read only 25.10.2006 14:30. Editors type times the Danish
way (9.30), dates with slashes or dashes, and ISO dates copied from elsewhere; the
admin's date picker used to turn what it could not read into the present moment
(config/home/admin_fixes.py), now the form reads these and refuses anything else.
"""

from django.conf.locale.da.formats import *  # noqa: F403

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 25.10.2006
    "%d/%m/%Y",  # 25/10/2006
    "%d-%m-%Y",  # 25-10-2006
    "%Y-%m-%d",  # 2006-10-25
]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}"
    for date in ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")
    for time in ("%H:%M:%S", "%H:%M", "%H.%M", "kl. %H:%M", "kl. %H.%M")
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M", "%H.%M"]
