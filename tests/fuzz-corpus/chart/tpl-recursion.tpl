{{ tpl .Values.t . }}
---values---
t: '{{ tpl .Values.t . }}'
