from django.db import models


class PendingPath(models.Model):
    """A site path whose static file(s) must be rebuilt (``publishing.paths``, recorded with
    the change by ``staticsite.changes.record_change``). ``build_frontend --changed`` and the
    background task consume them; a failed build leaves them for the next run."""

    path = models.CharField(max_length=1024, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The page at this path changed itself (published, unpublished, moved, deleted), as
    #: opposed to a page that only shows it: only such a page can change its card on a
    #: listing (``staticsite.incremental._listings_to_render``).
    page_changed = models.BooleanField(default=False)

    class Meta:
        verbose_name = "ausstehende Seite der statischen Website"
        verbose_name_plural = "ausstehende Seiten der statischen Website"

    def __str__(self):
        return self.path
