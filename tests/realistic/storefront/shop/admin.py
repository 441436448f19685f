from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from shop.models import Order, Product
from shop.tasks import recalculate_totals, resend_confirmations, restock, sync_inventory


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin[Order]):
    list_display = ("reference", "customer", "status", "total", "placed_at")
    list_filter = ("status",)
    actions = ["resend", "recalculate", "recalculate_wrong"]

    @admin.action(description="Resend confirmation emails")
    def resend(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        ids = [order.pk for order in queryset]
        result = resend_confirmations.enqueue(ids, reason=f"admin:{request.user.pk}")
        self.message_user(request, f"Queued as {result.id}", messages.SUCCESS)

    @admin.action(description="Recalculate totals")
    def recalculate(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        recalculate_totals.enqueue(list(queryset.values_list("id", flat=True)))

    @admin.action(description="Recalculate totals (old)")
    def recalculate_wrong(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        resend_confirmations.enqueue(queryset, reason="admin")  # expect: arg-type


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ("sku", "name", "price", "stock", "active")
    actions = ["sync", "restock_selected"]

    @admin.action(description="Sync inventory")
    def sync(self, request, queryset):
        sync_inventory.enqueue([p.pk for p in queryset])

    @admin.action(description="Restock")
    def restock_selected(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        skus = {product.sku for product in queryset}
        restock.enqueue(sorted(skus))
        restock.enqueue(skus)  # expect: arg-type
