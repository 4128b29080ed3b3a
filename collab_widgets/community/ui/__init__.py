"""The coordinator's and principal's screens, each bound to one
:class:`~collab_widgets.community.ui.state.CommunityState`."""
