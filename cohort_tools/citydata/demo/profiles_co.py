"""The Colombian demo city's reference lists, in Spanish (all invented or generic), as plain data.

The same shapes as the US lists in :mod:`.profiles` (which builds the ``CO`` :class:`Reference` from
them): secretarías, service types, barrio name parts, the data inventory, metrics, decisions made
with data and maturity notes. Money is in Colombian pesos (COP). Service types follow Colombia's
two rainy seasons (April-May and October-November) instead of snow. Nothing here is a real figure:
the demo city is fictional.
"""

from __future__ import annotations

# id, name, share of city staff, budget per head (COP), data roles per 100 staff
DEPARTMENTS: list[tuple[str, str, float, float, float]] = [
    ("OP", "Secretaría de Infraestructura y Obras Públicas", 0.14, 95_000_000, 0.6),
    ("MOV", "Secretaría de Movilidad", 0.08, 105_000_000, 1.0),
    ("ASE", "Unidad de Aseo y Residuos", 0.12, 70_000_000, 0.3),
    ("AGU", "Empresa de Acueducto y Alcantarillado", 0.09, 140_000_000, 0.8),
    ("AMB", "Secretaría de Ambiente y Espacio Público", 0.08, 62_000_000, 0.4),
    ("SAL", "Secretaría de Salud", 0.07, 85_000_000, 2.2),
    ("HAB", "Secretaría de Hábitat y Vivienda", 0.05, 98_000_000, 0.0),
    ("CTR", "Inspección y Control Urbano", 0.04, 68_000_000, 0.5),
    ("CUL", "Secretaría de Cultura y Bibliotecas", 0.05, 52_000_000, 0.3),
    ("ATC", "Línea de Atención Ciudadana", 0.03, 48_000_000, 2.5),
    ("HAC", "Secretaría de Hacienda", 0.04, 80_000_000, 4.0),
    ("TH", "Secretaría de Talento Humano", 0.02, 72_000_000, 1.5),
    ("TIC", "Oficina de Tecnologías de la Información", 0.04, 118_000_000, 9.0),
    ("PLA", "Secretaría de Planeación", 0.05, 82_000_000, 1.8),
    ("DA", "Despacho del Alcalde", 0.01, 105_000_000, 6.0),
    ("BOM", "Cuerpo de Bomberos", 0.15, 92_000_000, 0.4),
]
SKILLS_GAP_DEPARTMENT = "HAB"
SMALL_DEPARTMENT = "DA"  # a survey group below the threshold
DEPT_SKILL_BONUS = {
    ("TIC", "data_engineering"): 1.2,
    ("HAC", "statistics"): 0.8,
    ("DA", "data_analysis"): 0.5,
}

# code, name, department, weight, median days to close, SLA days, seasonal peak month (0 = none)
SERVICES: list[tuple[str, str, str, float, float, int, int]] = [
    ("HUECO", "Reparación de huecos en la vía", "OP", 9.0, 4.0, 3, 5),
    ("ALUMB", "Luminaria apagada", "OP", 6.0, 6.0, 7, 11),
    ("ANDEN", "Reparación de andén", "OP", 2.5, 35.0, 60, 0),
    ("DERRUM", "Derrumbe o deslizamiento", "OP", 2.0, 2.0, 2, 10),
    ("SEMAF", "Semáforo dañado", "MOV", 2.0, 0.5, 1, 0),
    ("SENAL", "Reparación de señal de tránsito", "MOV", 2.5, 9.0, 14, 0),
    ("PARQ", "Vehículo mal estacionado", "MOV", 7.0, 0.3, 1, 0),
    ("ABAND", "Vehículo abandonado", "MOV", 4.0, 12.0, 10, 0),
    ("BASURA", "Recolección de basura no realizada", "ASE", 9.0, 1.5, 2, 12),
    ("RECIC", "Reciclaje no recogido", "ASE", 4.5, 2.0, 3, 12),
    ("VOLUM", "Recolección de objetos voluminosos", "ASE", 6.0, 5.0, 7, 1),
    ("ESCOMB", "Arrojo ilegal de escombros", "ASE", 5.0, 6.0, 7, 6),
    ("GRAFITI", "Limpieza de grafiti", "ASE", 4.0, 8.0, 10, 0),
    ("FUGA", "Fuga de agua en la red", "AGU", 2.0, 2.0, 3, 0),
    ("ALCANT", "Alcantarillado obstruido", "AGU", 2.0, 1.0, 2, 5),
    ("SUMID", "Sumidero tapado", "AGU", 2.5, 4.0, 5, 10),
    ("PODA", "Poda de árboles", "AMB", 3.5, 30.0, 45, 8),
    ("PARQUE", "Mantenimiento de parque", "AMB", 2.5, 7.0, 10, 7),
    ("ROEDOR", "Presencia de roedores", "SAL", 3.0, 9.0, 10, 8),
    ("ALIMENT", "Queja sanitaria de alimentos", "SAL", 1.0, 5.0, 7, 0),
    ("RUIDO", "Queja por ruido", "CTR", 6.0, 0.4, 1, 12),
    ("PREDIO", "Predio en mal estado", "CTR", 3.5, 21.0, 30, 6),
    ("VIVRIES", "Vivienda en riesgo por lluvias", "HAB", 2.0, 3.0, 2, 10),
    ("ANIMAL", "Recogida de animal muerto", "ASE", 1.5, 1.0, 2, 7),
]
SLOW_DEPARTMENTS = {"OP", "MOV"}
OPEN_SOURCE_STATUSES = ["Abierta", "En trámite", "Asignada", "Pendiente de visita"]
CLOSED_STATUS = "Cerrada"

# Barrio names: a stem, an ending and a prefix, combined (all invented).
NAME_STEMS = [
    "El Arrayán", "La Ceiba", "Los Almendros", "El Manglar", "La Esperanza", "Las Palmas",
    "El Mirador", "La Bahía", "Los Cocos", "El Recreo", "La Playita", "Los Guaduales", "El Estero",
    "La Marina", "Las Gaviotas", "El Faro", "Los Pinos", "La Loma", "El Bosque", "Las Brisas",
    "El Muelle", "La Pradera", "Los Naranjos", "El Caracol", "La Quebrada", "Las Acacias",
    "El Cangrejo", "La Garza", "Los Corales", "El Balso",
]  # fmt: skip
NAME_ENDINGS = ["", " Alto", " Bajo", " Norte", " Sur", " Central", " del Río", " Nuevo",
                " Oriental", " Occidental"]  # fmt: skip
NAME_PREFIXES = ["", "Villa ", "Brisas de "]

# dataset name, owner, frequency, contains personal data, demographic fields, race/ethnicity format
# (the same positions as the US list: indices 0, 17 and 19 are always in the inventory, 11 and 23
# are always overdue)
DATASETS: list[tuple[str, str, str, bool, str, str]] = [
    ("Solicitudes de la línea de atención ciudadana", "ATC", "daily", False, "", "none"),
    ("Bitácora de reparación de huecos", "OP", "daily", False, "", "none"),
    ("Inventario de alumbrado público", "OP", "monthly", False, "", "none"),
    ("Índice de estado de la malla vial", "OP", "annually", False, "", "none"),
    ("Siniestros viales", "MOV", "daily", True, "age;sex", "none"),
    ("Comparendos de tránsito", "MOV", "daily", True, "", "none"),
    ("Aforos vehiculares", "MOV", "monthly", False, "", "none"),
    ("Toneladas de residuos recogidas", "ASE", "monthly", False, "", "none"),
    ("Rutas de recolección", "ASE", "quarterly", False, "", "none"),
    ("Calidad del agua", "AGU", "weekly", False, "", "none"),
    ("Suscriptores del servicio de acueducto", "AGU", "monthly", True, "income", "none"),
    ("Inventario de redes de acueducto antiguas", "AGU", "quarterly", False, "", "none"),
    ("Parques y escenarios deportivos", "AMB", "annually", False, "", "none"),
    ("Inscripciones a programas recreativos", "CUL", "weekly", True, "age;sex;race_ethnicity",
     "custom"),
    ("Visitas de inspección sanitaria", "SAL", "weekly", False, "", "none"),
    ("Jornadas de vacunación", "SAL", "weekly", True,
     "age;sex;race_ethnicity;language", "dane_cnpv_2018"),
    ("Encuesta de salud comunitaria", "SAL", "annually", True,
     "age;sex;gender;race_ethnicity;disability;language;income", "dane_cnpv_2018"),
    ("Solicitudes de subsidio de arriendo", "HAB", "weekly", True,
     "age;race_ethnicity;income;disability", "custom"),
    ("Viviendas de interés social", "HAB", "quarterly", False, "", "none"),
    ("Atención a habitantes de calle", "HAB", "monthly", True,
     "age;gender;race_ethnicity;disability", "custom"),
    ("Infracciones urbanísticas", "CTR", "daily", False, "", "none"),
    ("Registro de predios abandonados", "CTR", "monthly", False, "", "none"),
    ("Préstamos de bibliotecas", "CUL", "monthly", False, "", "none"),
    ("Usuarios inscritos en bibliotecas", "CUL", "monthly", True, "age;language", "none"),
    ("Desempeño de la línea de atención", "ATC", "daily", False, "", "none"),
    ("Presupuesto de funcionamiento", "HAC", "annually", False, "", "none"),
    ("Pagos a proveedores", "HAC", "monthly", False, "", "none"),
    ("Caracterización del talento humano", "TH", "quarterly", True,
     "age;sex;race_ethnicity;disability", "custom"),
    ("Encuesta de competencias en datos", "TH", "annually", False, "", "none"),
    ("Inventario de equipos de tecnología", "TIC", "quarterly", False, "", "none"),
    ("Licencias de construcción", "PLA", "daily", False, "", "none"),
    ("Mapas del plan de ordenamiento territorial", "PLA", "ad_hoc", False, "", "none"),
    ("Emergencias atendidas", "BOM", "daily", False, "", "none"),
    ("Atenciones prehospitalarias", "BOM", "daily", True, "age;sex", "none"),
    ("Revisión de hidrantes", "BOM", "monthly", False, "", "none"),
    ("Tablero de gestión del alcalde", "DA", "monthly", False, "", "none"),
    ("Participantes de Primer Empleo Juvenil", "DA", "annually", True,
     "age;sex;race_ethnicity;language", "dane_cnpv_2018"),
    ("Participantes de Rutas de Empleo", "HAB", "quarterly", True,
     "age;sex;race_ethnicity;language;disability", "custom"),
    ("Encuesta de percepción ciudadana", "DA", "annually", True,
     "age;gender;race_ethnicity;income", "custom"),
    ("Inventario de arbolado urbano", "AMB", "ad_hoc", False, "", "none"),
]  # fmt: skip

# id, metric, department, unit, higher is better, target, shape
METRICS: list[tuple[str, str, str, str, bool, float | None, str]] = [
    ("OP-HUE3", "Huecos reparados en 3 días hábiles", "OP", "percent", True, 90.0, "far"),
    ("ATC-RES60", "Llamadas atendidas en 60 segundos", "ATC", "percent", True, 80.0, "near"),
    ("PLA-LIC", "Tiempo de trámite de licencias de construcción", "PLA", "days", False, 30.0,
     "improving"),
    ("CUL-VIS", "Visitas a bibliotecas", "CUL", "count", True, None, "above"),
    ("ASE-FALL", "Recolecciones fallidas por cada 10.000 hogares", "ASE", "rate", False, 5.0,
     "near"),
    ("AGU-DAN", "Daños en la red de acueducto", "AGU", "count", False, 8.0, "far_low"),
    ("BOM-RSP", "Emergencias atendidas en menos de 8 minutos", "BOM", "percent", True, 90.0,
     "near"),
    ("AMB-ARB", "Árboles sembrados", "AMB", "count", True, None, "none"),
    ("HAB-SUB", "Subsidios de arriendo pagados en 30 días", "HAB", "percent", True, 85.0, "far"),
    ("CTR-INSP", "Quejas urbanísticas inspeccionadas en 10 días", "CTR", "percent", True, 75.0,
     "improving_up"),
]  # fmt: skip

CRITERIA_NOTES = {
    "GOV-1": "Comité de gobernanza de datos creado; se reúne cada mes.",
    "GOV-2": "Se definió el cargo de director o directora de datos.",
    "DM-1": "Hay un inventario de datos; cerca de una quinta parte está desactualizada.",
    "PM-1": "Reunión mensual de seguimiento con los secretarios de despacho.",
    "EQ-1": "Aún no hay un estándar común para preguntar por la pertenencia étnica.",
    "OD-1": "El portal de datos abiertos no ha sumado conjuntos de datos este año.",
    "WF-1": "Se aplicó la encuesta de competencias; el plan de formación está pendiente.",
}

# department, programme, decision, data used, change made, COP (0 = none), outcome measure
DATA_USES: list[tuple[str, str, str, str, str, float, str]] = [
    ("OP", "Reparación de huecos", "Mover una cuadrilla al barrio con las esperas más largas",
     "Solicitudes ciudadanas; días hasta el cierre por barrio", "Turnos de cuadrillas reorganizados",
     650_000_000, "Mediana de días hasta el cierre en el barrio más lento"),
    ("ASE", "Recolección de residuos", "Rediseñar dos rutas de recolección",
     "Solicitudes por recolección fallida; GPS de los vehículos", "Rutas redibujadas", 0,
     "Recolecciones fallidas por cada 10.000 hogares"),
    ("SAL", "Control de roedores", "Concentrar el control donde se agrupan las quejas",
     "Quejas por roedores; resultados de inspección", "Plan de control por manzana", 160_000_000,
     "Quejas repetidas en 90 días"),
    ("HAB", "Subsidio de arriendo", "Abrir puntos de atención en los barrios con menos solicitudes",
     "Solicitudes por barrio; tasas de aprobación", "Horario de atención ampliado", 220_000_000,
     "Tasa de aprobación en los barrios priorizados"),
    ("BOM", "Prevención de incendios", "Visitas casa a casa donde se concentran los incendios",
     "Emergencias atendidas; sectores censales", "Lista de visitas priorizada", 90_000_000,
     "Hogares con detector de humo"),
    ("CUL", "Horario de bibliotecas", "Ampliar el horario nocturno en dos sedes",
     "Visitas por hora; usuarios inscritos", "Horario modificado", 0, "Visitas en la noche"),
    ("DA", "Primer Empleo Juvenil", "Convocar a través de colegios con poca participación",
     "Participantes por barrio", "Plan de convocatoria por colegio", 55_000_000,
     "Aspirantes de los barrios priorizados"),
    ("MOV", "Seguridad vial", "Reducir la velocidad máxima en tres corredores",
     "Siniestros viales; mediciones de velocidad", "Señales y semáforos ajustados",
     1_150_000_000, "Siniestros con heridos en los corredores"),
    ("CTR", "Control urbano", "Inspeccionar por nivel de riesgo y no por orden de llegada",
     "Infracciones urbanísticas; información catastral", "Cola de inspecciones reordenada", 0,
     "Infracciones graves halladas por inspección"),
    ("AGU", "Renovación de redes", "Renovar primero las redes cercanas a colegios",
     "Inventario de redes de acueducto antiguas", "Orden de renovación cambiado", 4_300_000_000,
     "Tramos renovados cerca de colegios"),
    ("ATC", "Línea de atención", "Reforzar el turno de los lunes en la mañana",
     "Desempeño de la línea por hora", "Turnos cambiados", 0,
     "Llamadas atendidas en 60 segundos"),
    ("AMB", "Siembra de árboles", "Sembrar donde hay menos sombra",
     "Inventario de arbolado; mapa de calor", "Lista de siembra cambiada", 320_000_000,
     "Cobertura arbórea en los barrios priorizados"),
]  # fmt: skip

#: programme id, name, outcome measure, base success rate
PROGRAMMES: list[tuple[str, str, str, float]] = [
    ("RUE", "Rutas de Empleo", "con empleo a los 6 meses", 0.60),
    ("MVI", "Mejoramiento de Vivienda", "vivienda mejorada y recibida", 0.82),
    ("PEJ", "Primer Empleo Juvenil", "terminó la práctica laboral", 0.74),
]

#: Share of residents by DANE 2018 category (invented for the demo; as the standard's codes:
#: INDIGENA, RROM, RAIZAL, PALENQUERO, AFRO, NINGUNO, NO_INFORMA). Three groups are small, so
#: suppression shows up in any fair chart.
ETHNIC_SHARES = (0.035, 0.002, 0.004, 0.006, 0.21, 0.72, 0.023)
#: Rutas de Empleo success-rate offsets by group (same order): the outcome gap of the story.
ETHNIC_OFFSETS = (-0.10, -0.05, -0.04, -0.06, -0.12, 0.04, -0.02)
