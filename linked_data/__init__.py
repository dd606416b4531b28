"""The catalogue as linked data: CPSV-AP 3.2.0 in JSON-LD and Turtle, per tenant and for the
national registry's mirror."""
