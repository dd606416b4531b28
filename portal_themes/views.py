from django.shortcuts import render


def home(request):
    """The tenant portal's home page, in the tenant's name and colours."""
    return render(request, "portal/home.html")
