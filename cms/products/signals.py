"""Signals for the channels above content: one channel tells, another counts, neither
imports the other."""

from django.dispatch import Signal

#: a public product page was shown to a visitor (``page_id``), whether rendered or answered
#: from the page cache; the programme counts it as a view
product_page_shown = Signal()
