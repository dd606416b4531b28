from django.shortcuts import render

from accounts.permissions import staff_required


@staff_required()
def staff_home(request):
    """The staff area's home: what each role will find here as the product grows."""
    return render(request, "staff/home.html", {"role": request.user.get_role_display()})
