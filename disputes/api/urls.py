from django.urls import path

from . import views

urlpatterns = [
    path("complaints/<str:number>/responses/", views.ResponseCreateView.as_view(), name="api-complaint-responses"),
    path("complaints/<str:number>/answers/", views.AnswerCreateView.as_view(), name="api-complaint-answers"),
    path(
        "complaints/<str:number>/business-information/",
        views.BusinessInformationCreateView.as_view(),
        name="api-complaint-business-information",
    ),
]
