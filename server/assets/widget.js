/* rolesearch widget: replaced by the full widget */
