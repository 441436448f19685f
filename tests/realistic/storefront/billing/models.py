from django.db import models

from shop.models import Customer, Order


class Invoice(models.Model):
    class Kind(models.IntegerChoices):
        STANDARD = 1, "Standard"
        CREDIT_NOTE = 2, "Credit note"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="invoices")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    kind = models.IntegerField(choices=Kind.choices, default=Kind.STANDARD)
    number = models.CharField(max_length=20, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    pdf = models.FileField(upload_to="invoices/", blank=True)
    issued_on = models.DateField(auto_now_add=True)
