"""Who manages which media item: Wagtail's collection permissions, as for images and
documents (each organisation and each translated language has its collection; see
cms.organisations.provisioning)."""

from wagtail.permission_policies.collections import CollectionPermissionPolicy

from .models import MediaItem

permission_policy = CollectionPermissionPolicy(MediaItem)


def register() -> None:
    """Make the policy the one Wagtail's views and choosers use for media items."""
    from wagtail.permissions import register_permission_policy

    register_permission_policy(MediaItem, permission_policy)
