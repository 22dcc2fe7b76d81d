from django.urls import path

from . import views

app_name = "disputes"
urlpatterns = [
    path("complaints/<str:number>/respond/", views.respond, name="respond"),
    path("complaints/<str:number>/answer/<slug:kind>/", views.answer, name="answer"),
    path("complaints/<str:number>/business-information/", views.business_information, name="business_information"),
    path("complaints/<str:number>/staff/<slug:action>/", views.staff_action, name="staff_action"),
]
