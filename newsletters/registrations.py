"""What this app contributes to the layers below it."""


def register() -> None:
    from network.personal_data import PersonalDataHandler
    from network.personal_data import register as register_personal_data

    from . import personal_data

    register_personal_data(
        PersonalDataHandler(
            key="newsletters", export=personal_data.export, erase=personal_data.erase
        )
    )
