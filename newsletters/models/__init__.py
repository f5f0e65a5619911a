from .deliveries import Delivery, DeliveryStatus, SendRun
from .editions import Edition, EditionItem, EditionStatus
from .follows import (
    DigestDelivery,
    DigestFrequency,
    Follow,
    FollowKind,
    Notification,
    NotificationSettings,
)
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
    "DigestDelivery",
    "DigestFrequency",
    "Edition",
    "EditionItem",
    "EditionStatus",
    "Follow",
    "FollowKind",
    "Notification",
    "NotificationSettings",
    "SendRun",
    "Subscriber",
    "SubscriberStatus",
]
