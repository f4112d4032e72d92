from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

import cms.url_converters  # noqa: F401  (registers <id:…>)
from cms.products import serving
from cms.products.media_access import serve_document, serve_media

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URL, served like /media/ (see cms.products.media_access)
    path("documents/<id:document_id>/<str:document_filename>", serve_document),
    path("documents/", include(wagtaildocs_urls)),
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media, name="serve_media"),
    path("phong-chu/", include("translations.font_urls")),  # each page's own web fonts
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Radio stations: feeds and downloads keep one URL whatever the interface language.
    path("stations/", include("stations.urls")),
    path("oai/", include("delivery.urls")),  # OAI-PMH 2.0 provider
    path("zim/", include("offline.urls")),  # the offline e-library's files, for Kiwix
    path("", include("programme.urls")),  # support-point kiosks report plays
]

WAGTAIL_UTILITY_URLS = [pattern for pattern in wagtail_urls.urlpatterns
                        if getattr(pattern, "name", None) != "wagtail_serve"]

urlpatterns += i18n_patterns(
    # e-library search, browsing, kiosk and product pages: before Wagtail's catch-all
    path("", include("elibrary.search_urls")),
    path("", include("elibrary.urls")),
    path("", include("offline.page_urls")),
    path("", include("programme.opendata_urls")),  # open data and its DCAT catalogue
    # Wagtail's URLs; its page view last, its site root given its class without a query
    # (products.serving)
    path("", include(WAGTAIL_UTILITY_URLS)),
    re_path(wagtail_urls.serve_pattern, serving.serve, name="wagtail_serve"),
    prefix_default_language=False,
)
