from django.urls import path  # noqa: F401

app_name = "fieldwork"

urlpatterns: list = []  # type: ignore[type-arg]
