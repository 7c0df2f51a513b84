from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin for records (transcripts, staff views, received mail): kept as they were
    written, so nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
