"""Signals for the channels above content: one channel tells, another counts, neither
imports the other."""

from django.dispatch import Signal

#: a public product page was shown to a visitor (``page_id``), whether rendered or answered
#: from the page cache; the programme counts it as a view
product_page_shown = Signal()

#: a visitor began downloading a live product's recording or clip (``item``, a MediaItem)
#: from the e-library: the first bytes of a GET, not a resumed part and not a browser's
#: player streaming it; the programme counts it as a download
media_downloaded = Signal()
