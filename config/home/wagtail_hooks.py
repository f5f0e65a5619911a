from wagtail import hooks

from config import publishing

hooks.register("before_bulk_action", publishing.before_bulk_publish)


@hooks.register("before_bulk_action")
def delete_each_page_once(request, action_type, objects, action):
    """Wagtail's bulk delete deletes each chosen page with its descendants, and then met
    a chosen descendant that was gone already: a 500 (a project and its event chosen
    together, in the search results' listing). A chosen page under another chosen page
    goes with that one."""
    if action_type != "delete":
        return
    paths = [page.path for page in objects]
    objects[:] = [
        page
        for page in objects
        if not any(page.path != path and page.path.startswith(path) for path in paths)
    ]
