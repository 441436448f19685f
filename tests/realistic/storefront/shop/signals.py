from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.models import Order, Product
from shop.tasks import notify_customer, send_order_confirmation, sync_inventory


@receiver(post_save, sender=Order)
def order_saved(sender, instance, created, **kwargs):
    if created:
        send_order_confirmation.enqueue(instance.pk)


@receiver(post_save, sender=Product)
def product_saved(sender: type[Product], instance: Product, created: bool, **kwargs: object) -> None:
    if not created:
        sync_inventory.enqueue([instance.pk])
        notify_customer.enqueue(None, instance)  # expect: task-arg
