using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Punch.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Network = table.Column<string>(type: "TEXT", nullable: false),
                    Peer = table.Column<string>(type: "TEXT", nullable: false),
                    OtherPeer = table.Column<string>(type: "TEXT", nullable: true),
                    SessionId = table.Column<string>(type: "TEXT", nullable: true),
                    PublicEndpoint = table.Column<string>(type: "TEXT", nullable: true),
                    Candidates = table.Column<string>(type: "TEXT", nullable: true),
                    PathKind = table.Column<string>(type: "TEXT", nullable: true),
                    RemoteEndpoint = table.Column<string>(type: "TEXT", nullable: true),
                    ElapsedMs = table.Column<double>(type: "REAL", nullable: true),
                    RttMs = table.Column<double>(type: "REAL", nullable: true),
                    ChecksSent = table.Column<int>(type: "INTEGER", nullable: true),
                    ChecksReceived = table.Column<int>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Peers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Network = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    PublicEndpoint = table.Column<string>(type: "TEXT", nullable: true),
                    Candidates = table.Column<string>(type: "TEXT", nullable: false),
                    FirstSeen = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeen = table.Column<long>(type: "INTEGER", nullable: false),
                    Online = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Peers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Sessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Network = table.Column<string>(type: "TEXT", nullable: false),
                    PeerA = table.Column<string>(type: "TEXT", nullable: false),
                    PeerB = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IntroducedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConnectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TimeToConnectMs = table.Column<double>(type: "REAL", nullable: true),
                    RttMs = table.Column<double>(type: "REAL", nullable: true),
                    PathKind = table.Column<string>(type: "TEXT", nullable: true),
                    RemoteEndpointA = table.Column<string>(type: "TEXT", nullable: true),
                    RemoteEndpointB = table.Column<string>(type: "TEXT", nullable: true),
                    ChecksSent = table.Column<int>(type: "INTEGER", nullable: false),
                    ChecksReceived = table.Column<int>(type: "INTEGER", nullable: false),
                    FailureReason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sessions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Events_SessionId",
                table: "Events",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_Peers_Network_Name",
                table: "Peers",
                columns: new[] { "Network", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Peers_Online",
                table: "Peers",
                column: "Online");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_RequestedAt",
                table: "Sessions",
                column: "RequestedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_State",
                table: "Sessions",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Events");

            migrationBuilder.DropTable(
                name: "Peers");

            migrationBuilder.DropTable(
                name: "Sessions");
        }
    }
}
