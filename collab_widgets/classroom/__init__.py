"""Classroom practice: co-planning, co-teaching approaches, lesson study and observation."""
