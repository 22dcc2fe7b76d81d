from django.urls import path
from django.views.generic import TemplateView

app_name = "complaints"
urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("businesses/<slug:slug>/", TemplateView.as_view(template_name="home.html"), name="business-profile"),
    path("complaints/<str:number>/", TemplateView.as_view(template_name="home.html"), name="detail"),
]
