from django.contrib import admin
from django.urls import path

from accounts import views as account_views
from shop import views as shop_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("checkout/<int:order_id>/", shop_views.checkout, name="checkout"),
    path("orders/<int:pk>/cancel/", shop_views.CancelOrderView.as_view(), name="cancel-order"),
    path("orders/export/", shop_views.export_orders, name="export-orders"),
    path("webhooks/payment/", shop_views.payment_webhook, name="payment-webhook"),
    path("signup/", account_views.signup, name="signup"),
    path("profile/", account_views.ProfileUpdateView.as_view(), name="profile"),
]
