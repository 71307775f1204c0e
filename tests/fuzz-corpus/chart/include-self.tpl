{{ include "self" . }}
---helpers---
{{ define "self" }}{{ include "self" . }}{{ end }}
