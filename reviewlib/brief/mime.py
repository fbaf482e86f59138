"""The kinds of hidden output a brief's cells display for the build alone (never shown to a
reader): what the page is, and what the index page says of it. Here, apart from the exporter
that reads them (it imports nbformat, which a kernel has no use for), so that the cells that
display them (`blocks`) import no more than they need."""

META_MIME = "application/vnd.reviewlib.brief+json"
SUMMARY_MIME = "application/vnd.reviewlib.summary+json"
