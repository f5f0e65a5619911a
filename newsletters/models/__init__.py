from .deliveries import Delivery, DeliveryStatus
from .editions import Edition, EditionItem, EditionStatus
from .subscribers import (
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Subscriber,
    SubscriberStatus,
)

__all__ = [
    "ConsentAction",
    "ConsentMethod",
    "ConsentRecord",
    "Delivery",
    "DeliveryStatus",
    "Edition",
    "EditionItem",
    "EditionStatus",
    "Subscriber",
    "SubscriberStatus",
]
