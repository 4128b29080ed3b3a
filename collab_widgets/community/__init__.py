"""Community partnerships of a school: partners and their agreements, mentoring, service
learning, career exploration, and the school's one-year partnership plan across the six
types of involvement."""
