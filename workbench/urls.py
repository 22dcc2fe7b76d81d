from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [path("staff/workbench/", views.workbench, name="index")]
