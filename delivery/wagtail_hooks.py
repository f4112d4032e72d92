from wagtail import hooks

from .admin_views import DeliveryRecordViewSet


@hooks.register("register_admin_viewset")
def register_delivery_viewset():
    return DeliveryRecordViewSet()
