"""Processes an analyst draws from scratch in Camunda Modeler, as bpmn-js modeling specs.

Shared by the engine tests (tests/engine/test_camunda_models.py) and the browser test of the
web UI (tests/e2e/test_camunda_models.py). Nothing here is Alur-specific: JUEL conditions, no
camunda:properties, roles from lanes or from candidate groups, a generated task form.
"""

from __future__ import annotations

from typing import Any

CUTI: dict[str, Any] = {
    "id": "Process_cuti_dinas",
    "name": "Permohonan Cuti Pegawai",
    "lanes": ["Pegawai", "Kasubag Umum", "Kepala Dinas"],
    "nodes": [
        {"id": "Mulai", "type": "bpmn:StartEvent", "name": "Mulai", "lane": 0, "x": 180},
        {"id": "Gabung_ajukan", "type": "bpmn:ExclusiveGateway", "lane": 0, "x": 280},
        {
            "id": "Ajukan",
            "type": "bpmn:UserTask",
            "name": "Mengajukan cuti",
            "lane": 0,
            "x": 400,
            "form": [
                {
                    "id": "jenis",
                    "label": "Jenis cuti",
                    "type": "enum",
                    "values": [["tahunan", "Cuti tahunan"], ["sakit", "Cuti sakit"]],
                    "defaultValue": "tahunan",
                },
                {
                    "id": "jumlah_hari",
                    "label": "Jumlah hari",
                    "type": "long",
                    "constraints": [["required", None], ["min", "1"], ["max", "12"]],
                },
                {
                    "id": "mulai",
                    "label": "Tanggal mulai",
                    "type": "date",
                    "constraints": [["required", None]],
                },
                {"id": "mendesak", "label": "Mendesak", "type": "boolean"},
                {"id": "alasan", "label": "Alasan", "type": "string"},
            ],
        },
        {
            "id": "Periksa",
            "type": "bpmn:UserTask",
            "name": "Memeriksa kelengkapan",
            "lane": 1,
            "x": 560,
        },
        {"id": "Lengkap", "type": "bpmn:ExclusiveGateway", "name": "Lengkap?", "lane": 1, "x": 700},
        {
            "id": "Lama",
            "type": "bpmn:ExclusiveGateway",
            "name": "Lebih dari 5 hari?",
            "lane": 1,
            "x": 820,
        },
        {"id": "Setujui", "type": "bpmn:UserTask", "name": "Menyetujui cuti", "lane": 2, "x": 960},
        {
            "id": "Disetujui",
            "type": "bpmn:ExclusiveGateway",
            "name": "Disetujui?",
            "lane": 2,
            "x": 1100,
        },
        {"id": "Gabung_catat", "type": "bpmn:ExclusiveGateway", "lane": 1, "x": 1220},
        {
            "id": "Catat",
            "type": "bpmn:UserTask",
            "name": "Mencatat cuti",
            "lane": 1,
            "x": 1360,
            "attrs": {"camunda:dueDate": "P2D"},
        },
        {"id": "Selesai", "type": "bpmn:EndEvent", "name": "Cuti tercatat", "lane": 1, "x": 1520},
        {"id": "Ditolak", "type": "bpmn:EndEvent", "name": "Cuti ditolak", "lane": 2, "x": 1240},
    ],
    "flows": [
        {"id": "f1", "source": "Mulai", "target": "Gabung_ajukan"},
        {"id": "f2", "source": "Gabung_ajukan", "target": "Ajukan"},
        {"id": "f3", "source": "Ajukan", "target": "Periksa"},
        {"id": "f4", "source": "Periksa", "target": "Lengkap"},
        {
            "id": "f_ya",
            "source": "Lengkap",
            "target": "Lama",
            "name": "Ya",
            "condition": "${lengkap}",
        },
        {
            "id": "f_tidak",
            "source": "Lengkap",
            "target": "Gabung_ajukan",
            "name": "Tidak",
            "condition": "${!lengkap}",
        },
        {
            "id": "f_lama",
            "source": "Lama",
            "target": "Setujui",
            "name": "Lebih dari 5 hari",
            "condition": "${jumlah_hari gt 5 || mendesak}",
        },
        {
            "id": "f_singkat",
            "source": "Lama",
            "target": "Gabung_catat",
            "name": "Paling lama 5",
            "condition": "${jumlah_hari le 5 && not mendesak}",
        },
        {"id": "f5", "source": "Setujui", "target": "Disetujui"},
        {
            "id": "f_setuju",
            "source": "Disetujui",
            "target": "Gabung_catat",
            "name": "Setuju",
            "condition": "${keputusan == 'setuju'}",
        },
        {
            "id": "f_tolak",
            "source": "Disetujui",
            "target": "Ditolak",
            "name": "Tolak",
            "isDefault": True,
        },
        {"id": "f6", "source": "Gabung_catat", "target": "Catat"},
        {"id": "f7", "source": "Catat", "target": "Selesai"},
    ],
}
"""The leave request of issue 17: three lanes, JUEL conditions, a decision drawn as a gateway
("Lengkap?": Ya ``${lengkap}`` / Tidak ``${!lengkap}`` back to the start), a gateway routed by
the form's data, a default flow, and ``camunda:dueDate``."""

SURAT: dict[str, Any] = {
    "id": "Process_surat_grup",
    "name": "Surat Keluar Tanpa Lane",
    "lanes": [],
    "nodes": [
        {"id": "Mulai", "type": "bpmn:StartEvent", "name": "Mulai", "x": 150, "y": 200},
        {"id": "Gabung", "type": "bpmn:ExclusiveGateway", "x": 250, "y": 200},
        {
            "id": "Tulis",
            "type": "bpmn:UserTask",
            "name": "Menulis konsep surat",
            "x": 380,
            "y": 200,
            "attrs": {"camunda:candidateGroups": "Staf"},
            "form": [
                {
                    "id": "perihal",
                    "label": "Perihal",
                    "type": "string",
                    "constraints": [["required", None], ["maxlength", "120"]],
                }
            ],
        },
        {
            "id": "Paraf",
            "type": "bpmn:UserTask",
            "name": "Memaraf konsep",
            "x": 540,
            "y": 200,
            "attrs": {"camunda:candidateGroups": "Sekretaris", "camunda:dueDate": "2030-01-31"},
        },
        {
            "id": "Revisi",
            "type": "bpmn:ExclusiveGateway",
            "name": "Perlu revisi?",
            "x": 680,
            "y": 200,
        },
        {
            "id": "Tandatangani",
            "type": "bpmn:UserTask",
            "name": "Menandatangani surat",
            "x": 820,
            "y": 200,
            "attrs": {"camunda:assignee": "kadis"},
        },
        {"id": "Selesai", "type": "bpmn:EndEvent", "name": "Surat terkirim", "x": 980, "y": 200},
    ],
    "flows": [
        {"id": "g1", "source": "Mulai", "target": "Gabung"},
        {"id": "g2", "source": "Gabung", "target": "Tulis"},
        {"id": "g3", "source": "Tulis", "target": "Paraf"},
        {"id": "g4", "source": "Paraf", "target": "Revisi"},
        {
            "id": "g_revisi",
            "source": "Revisi",
            "target": "Gabung",
            "name": "Perlu revisi",
            "condition": "${perlu_revisi eq true}",
        },
        {
            "id": "g_ok",
            "source": "Revisi",
            "target": "Tandatangani",
            "name": "Tidak perlu revisi",
            "condition": "${perlu_revisi == false}",
        },
        {"id": "g5", "source": "Tandatangani", "target": "Selesai"},
    ],
}
"""No lanes: roles from ``camunda:candidateGroups``, a fixed ``camunda:assignee``, a due date."""

MODELS = {"cuti": CUTI, "surat": SURAT}
