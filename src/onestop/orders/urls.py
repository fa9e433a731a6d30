from django.urls import path  # noqa: F401

app_name = "orders"

urlpatterns: list = []  # type: ignore[type-arg]
