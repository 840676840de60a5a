from django.urls import path

from regulations import views

app_name = "regulations"

urlpatterns = [
    path("", views.regulation_list, name="list"),
    path("search/", views.search, name="search"),
    path("<str:code>/", views.regulation_detail, name="detail"),
    path("<str:code>/articles/<int:number>/", views.article_history, name="article_history"),
]
